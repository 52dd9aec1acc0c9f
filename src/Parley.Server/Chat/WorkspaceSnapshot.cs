using Parley.Server.Storage;

namespace Parley.Server.Chat;

/// <summary>A workspace with its first channels, as a gateway guild shows it; <see cref="MoreChannels"/> when some were left out.</summary>
public sealed record WorkspaceSnapshot(WorkspaceRecord Workspace, IReadOnlyList<ChannelRecord> Channels, bool MoreChannels);
