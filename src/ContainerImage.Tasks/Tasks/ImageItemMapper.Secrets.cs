using ContainerImage.Diagnostics;
using ContainerImage.Model;
using Microsoft.Build.Framework;

namespace ContainerImage.Tasks;

// ImageSecret items, and the secrets a layer names in its Secrets metadata.
public static partial class ImageItemMapper
{
    private static Dictionary<string, Secret> MapSecrets(IReadOnlyList<ITaskItem> items, string projectDirectory)
    {
        var map = new Dictionary<string, Secret>(StringComparer.Ordinal);
        foreach (var origin in Origins(SecretItemType, items, _ => ""))
        {
            var item = origin.Item;
            var unknown = CustomMetadata(item).Keys.FirstOrDefault(k => !SecretMetadata.Contains(k, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownSecretMetadata, item.ItemSpec, unknown, string.Join(", ", SecretMetadata)));
            }
            string? Meta(string name) => NullIfEmpty(item.GetMetadata(name));
            foreach (var (a, b) in new[] { ("FromEnvironment", "FromFile"), ("AsEnvironmentVariable", "AsFile") })
            {
                if (Meta(a) is not null && Meta(b) is not null)
                {
                    throw Item(origin, new ImageDefinitionException(DiagnosticCodes.ConflictingSecretMetadata, item.ItemSpec, a, b));
                }
            }
            var secret = Blame(origin, () =>
            {
                var s = Meta("AsFile") is { } mount ? Secret.AsFile(item.ItemSpec, mount) : Secret.AsEnvironmentVariable(item.ItemSpec, Meta("AsEnvironmentVariable"));
                if (Meta("FromFile") is { } file) s = s.FromFile(HostPath(file, projectDirectory, "secret file"));
                else if (Meta("FromEnvironment") is { } env) s = s.FromEnvironment(env);
                return s;
            });
            if (!map.TryAdd(secret.Id, secret))
            {
                throw Item(origin, new ImageDefinitionException(DiagnosticCodes.DuplicateSecret, secret.Id));
            }
        }
        return map;
    }

    private static List<Secret> SecretsOf(ItemOrigin origin, Dictionary<string, Secret> secrets)
        => Split(origin.Item.GetMetadata("Secrets"))
            .Select(id => secrets.TryGetValue(id, out var secret)
                ? secret
                : throw Item(origin, new ImageDefinitionException(DiagnosticCodes.UnknownSecretReference, origin.Item.ItemSpec, id)))
            .ToList();
}
