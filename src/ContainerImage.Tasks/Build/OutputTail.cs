namespace ContainerImage.Build;

/// <summary>The last <c>capacity</c> lines of output, kept for the error message of a failed build.</summary>
internal sealed class OutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;

    /// <summary>A tail that keeps <paramref name="capacity"/> lines.</summary>
    public OutputTail(int capacity) => _capacity = capacity;

    /// <summary>Adds a line, dropping the oldest beyond the capacity.</summary>
    public void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > _capacity) _lines.Dequeue();
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];
}
