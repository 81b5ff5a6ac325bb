using System.Net.Http.Headers;
using System.Text;

namespace ContainerImage.Registry;

/// <summary>
/// A parsed <c>WWW-Authenticate</c> challenge, e.g.
/// <c>Bearer realm="https://auth.example/token",service="registry",scope="repository:app:pull"</c>.
/// </summary>
/// <param name="Scheme">The scheme, <c>Bearer</c> or <c>Basic</c>.</param>
/// <param name="Parameters">The parameters by lowercase name.</param>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>True for the token scheme.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the user/password scheme.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>A parameter, or null.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The first Bearer challenge, else the first Basic one, else null.</summary>
    public static AuthChallenge? Select(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var challenges = headers.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>
    /// Parses the comma-separated <c>name=value</c> list after the scheme. Values may be quoted and
    /// hold commas (a scope such as <c>repository:a:pull,push</c>), so this is a small scanner,
    /// not a split.
    /// </summary>
    public static AuthChallenge Parse(string scheme, string? parameterText)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameterText ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',') i++;
            var name = text[nameStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }
            i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i++]);
                }
                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',') value.Append(text[i++]);
            }
            if (name.Length > 0) parameters[name] = value.ToString().Trim();
        }
        return new AuthChallenge(scheme, parameters);
    }
}
