using System.Text.Json.Serialization;

namespace Parley.Client.Internal;

/// <summary>Source-generated readers for the HTTP API's answers that are not wire records of Parley.Protocol.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ParleyUser))]
[JsonSerializable(typeof(ParleyApiToken))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
