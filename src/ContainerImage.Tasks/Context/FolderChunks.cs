namespace ContainerImage.Context;

/// <summary>
/// Splits a large source folder's files (in the planner's path order) into consecutive chunks of about a
/// given size, one COPY instruction each. Consecutive in path order so that a chunk is a stable, readable
/// slice of the tree and the same files always give the same chunks.
/// </summary>
internal static class FolderChunks
{
    /// <summary>
    /// The chunk index of each file, or null when the folder stays one chunk (its total is at most
    /// <paramref name="chunkBytes"/>, or <paramref name="chunkBytes"/> is zero or less). A chunk is closed
    /// once it holds at least <paramref name="chunkBytes"/>; a last chunk smaller than half of that joins
    /// the one before, so no tiny trailing layer is made.
    /// </summary>
    public static int[]? Assign(IReadOnlyList<long> lengths, long chunkBytes)
    {
        if (chunkBytes <= 0) return null;
        var total = lengths.Sum();
        if (total <= chunkBytes) return null;
        var chunks = new int[lengths.Count];
        int chunk = 0, lastStart = 0;
        long filled = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            chunks[i] = chunk;
            filled += lengths[i];
            if (filled >= chunkBytes && i < lengths.Count - 1)
            {
                chunk++;
                lastStart = i + 1;
                filled = 0;
            }
        }
        if (chunk > 0 && filled < chunkBytes / 2)
        {
            for (var i = lastStart; i < chunks.Length; i++) chunks[i] = chunk - 1;
            chunk--;
        }
        return chunk == 0 ? null : chunks;
    }

    /// <summary>The '/'-separated context folder of chunk <paramref name="index"/> of a layer folder.</summary>
    public static string PartDirectory(string layerDirectory, int index)
        => layerDirectory + "/part" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
