namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The tests that need PostgreSQL: they share one <see cref="PostgresServer"/>, started once for all of them, and run
/// one class at a time (xunit runs a collection's classes sequentially).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
