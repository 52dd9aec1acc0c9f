namespace Parley.Web.Tests.Infrastructure;

/// <summary>
/// The browser tests share one Chromium and run one after another: each drives a real server and
/// several browser pages, which is enough load for a two-core machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
