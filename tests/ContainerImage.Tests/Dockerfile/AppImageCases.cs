using ContainerImage.Context;
using ContainerImage.Model;

namespace ContainerImage.Tests.Dockerfile;

/// <summary>Golden cases for app images: every app layer kind, derived images and a pinned base.</summary>
internal static class AppImageCases
{
    public const string PinnedDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static IEnumerable<(string Name, Image Image, ContextPlan Plan, ContainerImage.Dockerfile.DockerfileOptions Options)> All()
    {
        var plain = ContainerImage.Dockerfile.DockerfileOptions.Default;
        yield return ("existing-app-every-config-layer", WithEveryAppLayer(Image.FromBase("127.0.0.1:5000/local/debian:bookworm")), AppPlan, plain);
        yield return ("debian-app-every-config-layer", WithEveryAppLayer(Image.FromDebianBase(PythonVersion.Parse("3.12"))), AppPlan, plain);
        yield return ("debian-app-no-user-layer", Image.FromDebianBase(PythonVersion.Parse("3.12"))
            .WithAppPublishOutput("/src/publish").WithEntrypoint("/app/web"), PublishOnlyPlan, plain);

        var debianParent = Image.FromDebianBase(PythonVersion.Parse("3.12"), registry: "127.0.0.1:5000/team", name: "py-base").WithTag("v1");
        yield return ("derived-from-debian", debianParent.Derive("web")
            .WithAptPackages("curl")
            .WithPipPackages("requests==2.32.3")
            .WithAppPublishOutput("/src/publish")
            .WithEntrypoint("/app/web"), DerivedPlan, plain);
        var userParent = debianParent.WithUser("svc");
        yield return ("derived-from-debian-parent-with-user", userParent.Derive("web").WithCommands(["id -un"]), DockerfileCases.EmptyPlan, plain);

        var existingParent = Image.FromBase("127.0.0.1:5000/local/busybox:static", registry: "127.0.0.1:5000/team", name: "tools").WithTag("v2");
        yield return ("derived-from-existing", existingParent.Derive("tool").WithCommand("sh", "-c", "echo hi").WithLabels([new("a", "b")]),
            DockerfileCases.EmptyPlan, plain);
        yield return ("derived-twice", existingParent.Derive("mid").WithTag("v3").Derive("leaf").WithUser("1000:1000"),
            DockerfileCases.EmptyPlan, plain);

        yield return ("existing-pinned-base", Image.FromBase("127.0.0.1:5000/local/busybox:static").WithPinnedBase(PinnedDigest)
            .WithCommands(["echo pinned"]), DockerfileCases.EmptyPlan, plain);
    }

    /// <summary>One of each app layer, with the values quoting must keep literal (indexes match <see cref="AppPlan"/>).</summary>
    public static Image WithEveryAppLayer(Image image) => image
        .WithAppPublishOutput("/src/bin/Release/net8.0/linux-x64/publish")                     // 0
        .WithAppPublishOutput("/src/tools/publish", "/opt/my tools")                           // 1
        .WithEntrypoint("/app/web", "--urls", "http://+:8080", "a \"quoted\" $HOME \\ ü")       // 2
        .WithCommand("--verbose", "it's")                                                      // 3
        .WithExposedPorts("8080", "53/udp", "443/tcp", "8080/tcp")                             // 4
        .WithHealthcheck(["/app/web", "--health"], TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1500),
            TimeSpan.FromSeconds(5), 3)                                                        // 5
        .WithLabels([new("org.opencontainers.image.title", "web \"app\" $1"),
            new("org.opencontainers.image.source", "https://example.test/repo"), new("team", "it's ours")]) // 6
        .WithUser("app")                                                                       // 7
        .WithoutHealthcheck()                                                                  // 8
        .WithEntrypoint([]);                                                                   // 9

    public static ContextPlan AppPlan { get; } = new(
        ValueArray.Create(DockerfileCases.Layer(0, null), DockerfileCases.Layer(1, null)), null, ValueArray<ContextFile>.Empty);

    public static ContextPlan PublishOnlyPlan { get; } = new(ValueArray.Create(DockerfileCases.Layer(0, null)), null, ValueArray<ContextFile>.Empty);

    public static ContextPlan DerivedPlan { get; } = new(ValueArray.Create(DockerfileCases.Layer(2, null)), null, ValueArray<ContextFile>.Empty);
}
