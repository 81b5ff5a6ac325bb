using ContainerImage.Model;

namespace ContainerImage.Dockerfile;

/// <summary>
/// The <c>--mount=type=secret</c> flags of one RUN step and, for environment-variable secrets on a
/// frontend without <c>env=</c>, the shell prefix that exports them. Only ids and paths are
/// written: a secret's value never reaches the Dockerfile.
/// </summary>
internal sealed class SecretMounts
{
    /// <summary>Where a secret exposed as an environment variable is mounted when <c>env=</c> is unavailable.</summary>
    public const string EnvironmentSecretDirectory = "/run/secrets/";

    private SecretMounts(IReadOnlyList<string> flags, string shellPrefix)
    {
        Flags = flags;
        ShellPrefix = shellPrefix;
    }

    /// <summary>The <c>--mount</c> flags, in the secrets' order.</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>Shell text to put before the step's command ("" when none), ending with a space.</summary>
    public string ShellPrefix { get; }

    /// <summary>The mounts for <paramref name="secrets"/> (duplicates by id written once).</summary>
    public static SecretMounts For(IEnumerable<Secret> secrets, DockerfileOptions options)
    {
        var flags = new List<string>();
        var prefix = new System.Text.StringBuilder();
        foreach (var secret in secrets.DistinctBy(s => s.Id))
        {
            if (secret.MountPath is { } path)
            {
                flags.Add(DockerfileQuoting.MountFlag("type=secret", "id=" + secret.Id, "target=" + path, "required=true"));
            }
            else if (options.SecretEnvironmentMounts)
            {
                flags.Add(DockerfileQuoting.MountFlag("type=secret", "id=" + secret.Id, "env=" + secret.EnvironmentVariable, "required=true"));
            }
            else
            {
                // '|| exit 1' stops the step if the file cannot be read, whatever the command's own
                // '&&'/'||'/';' structure; 'export' keeps it out of the image (it lives in this shell only).
                var file = EnvironmentSecretDirectory + secret.Id;
                var name = secret.EnvironmentVariable!;
                flags.Add(DockerfileQuoting.MountFlag("type=secret", "id=" + secret.Id, "target=" + file, "required=true"));
                prefix.Append(name).Append("=\"$(cat ").Append(DockerfileQuoting.Shell(file)).Append(")\" || exit 1; export ").Append(name).Append("; ");
            }
        }
        return new SecretMounts(flags, prefix.ToString());
    }
}
