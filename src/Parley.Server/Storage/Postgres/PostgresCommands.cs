using Npgsql;

namespace Parley.Server.Storage.Postgres;

/// <summary>Small helpers that keep the SQL in the store readable. Parameters are positional (<c>$1</c>, <c>$2</c>, …).</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] parameters) =>
        Prepare(dataSource.CreateCommand(sql), parameters);

    /// <summary>A command on <paramref name="connection"/>; it joins the connection's open transaction, if any.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] parameters) =>
        Prepare(new NpgsqlCommand(sql, connection), parameters);

    private static NpgsqlCommand Prepare(NpgsqlCommand command, object?[] parameters)
    {
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlCommand command, CancellationToken cancellationToken = default)
    {
        await using var owned = command;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or default when there is no row or it is null.</summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlCommand command, CancellationToken cancellationToken = default)
    {
        await using var owned = command;
        return await command.ExecuteScalarAsync(cancellationToken) is T value ? value : default;
    }

    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken = default)
    {
        await using var owned = command;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    public static async Task<T?> ReadSingleAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var owned = command;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    /// <summary>
    /// The value to store for <paramref name="value"/>, cut to whole milliseconds (the precision of the wire format) so
    /// that it reads back as it is returned at write time. Callers pass UTC; like the SQLite store, the ticks are taken
    /// as UTC whatever the kind, so both backends store the same instant.
    /// </summary>
    public static DateTime ToDb(DateTime value)
    {
        var ticks = value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond);
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <summary>A timestamptz column as a UTC <see cref="DateTime"/>.</summary>
    public static DateTime GetUtc(this NpgsqlDataReader reader, int ordinal) =>
        DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
