namespace Parley.Server.Chat;

/// <summary>Which page of a list: at most <see cref="Limit"/> items after <see cref="Cursor"/> (null: the first page).</summary>
public readonly record struct PageRequest(int Limit, string? Cursor);
