namespace ContainerImage.Tests.Infrastructure;

/// <summary>Sets an environment variable of the test process and restores it on dispose.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> (null removes it).</summary>
    public EnvironmentScope(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Puts <paramref name="folder"/> first on PATH.</summary>
    public static EnvironmentScope PrependPath(string folder)
        => new("PATH", folder + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));

    /// <inheritdoc/>
    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}
