using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>A workspace with its channels, as a gateway guild shows it.</summary>
public sealed record WorkspaceSnapshot(WorkspaceRecord Workspace, IReadOnlyList<ChannelRecord> Channels);
