using Dapper;

namespace Pgo.Api.TeamSpace.Data;

/// <summary>
/// "column IN (...)" written out with one parameter per value. Dapper's own list expansion is not used:
/// on Npgsql it passes an array, which "IN" does not accept; this form runs on both providers.
/// </summary>
public static class SqlList
{
    public static string In(string column, string prefix, IEnumerable<long> values, DynamicParameters args)
    {
        var names = new List<string>();
        foreach (var v in values.Distinct())
        {
            var name = prefix + names.Count;
            args.Add(name, v);
            names.Add("@" + name);
        }
        return names.Count == 0 ? "1 = 0" : $"{column} IN ({string.Join(", ", names)})";
    }
}
