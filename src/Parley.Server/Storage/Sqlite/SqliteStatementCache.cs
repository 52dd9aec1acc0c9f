using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// Commands of the writer connection kept prepared for its whole life, for the statements run on every
/// message. A new <see cref="SqliteCommand"/> parses its SQL again on every execution, which cost more than
/// running these small statements. Used only from the writer loop's thread, so it needs no lock; callers
/// must not dispose what <see cref="Get"/> returns.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _raw = new(StringComparer.Ordinal);

    /// <summary>
    /// The statement prepared once through SQLite's own API, parameters by position (<c>?1</c>, <c>?2</c>, …): for
    /// the few statements run for every message, where <see cref="Get"/>'s per-execution parameter lookup costs
    /// more than SQLite itself (see <see cref="SqliteRawStatement"/>).
    /// </summary>
    public SqliteRawStatement Raw(string sql)
    {
        if (!_raw.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(connection, sql);
            _raw.Add(sql, statement);
        }
        return statement;
    }

    public SqliteCommand Get(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        foreach (var statement in _raw.Values)
        {
            statement.Dispose();
        }
        _raw.Clear();
    }
}
