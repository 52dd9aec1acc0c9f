using System.Text.Json.Nodes;

namespace Parley.ClientScenarios;

/// <summary>One scenario of the table: who is in which workspace and channel, and the steps with their expected outcomes.</summary>
public sealed record ClientScenario(string Name, JsonObject Workspaces, JsonArray Steps)
{
    /// <summary>Every user the scenario names, owners first in the order they appear.</summary>
    public IReadOnlyList<string> Users()
    {
        var users = new List<string>();
        foreach (var (_, workspace) in Workspaces)
        {
            Add(workspace!["owner"]!.GetValue<string>());
            foreach (var member in workspace["members"]?.AsArray() ?? [])
            {
                Add(member!.GetValue<string>());
            }
        }
        foreach (var step in Steps)
        {
            Add(step!["user"]!.GetValue<string>());
        }
        return users;

        void Add(string user)
        {
            if (!users.Contains(user))
            {
                users.Add(user);
            }
        }
    }

    public override string ToString() => Name;
}
