using ContainerImage.Diagnostics;
using ContainerImage.Model;

namespace ContainerImage.Context;

/// <summary>
/// Finds missing or bad inputs of an image without throwing: missing source folders and files,
/// requirements files and their includes, pyproject/uv.lock, .dockerignore files, the Dockerfile, symbolic
/// links that loop or leave their folder, and (when asked) secrets whose source is not on this machine.
/// Messages name the env var or file a secret is read from, never a value.
/// </summary>
public static class InputChecker
{
    /// <summary>Every problem with the image's declared inputs, in layer order.</summary>
    public static IReadOnlyList<ImageProblem> Check(Image image, bool checkSecretSources)
    {
        ArgumentNullException.ThrowIfNull(image);
        var problems = new List<ImageProblem>();
        if (image.Base is DockerfileBase dockerfile && !File.Exists(dockerfile.DockerfilePath))
        {
            problems.Add(ImageProblem.Create(DiagnosticCodes.FileNotFound, null, "Dockerfile", dockerfile.DockerfilePath));
        }
        for (var index = 0; index < image.Layers.Count; index++)
        {
            problems.AddRange(CheckLayer(image, image.Layers[index], index));
        }
        if (checkSecretSources) problems.AddRange(CheckSecrets(image));

        // Missing files first; only when every declared file is there is it worth walking the folders
        // for what only a walk finds (links that loop or leave the folder, bad includes, ignored files).
        if (problems.Count == 0)
        {
            try
            {
                _ = ContextPlanner.Plan(image);
            }
            catch (ImageDefinitionException e)
            {
                problems.Add(new ImageProblem(e.Code, e.Message, e.LayerIndex));
            }
        }
        return problems;
    }

    private static IEnumerable<ImageProblem> CheckLayer(Image image, Layer layer, int index)
    {
        switch (layer)
        {
            case SourceFolderLayer folder when !Directory.Exists(folder.Source):
                yield return ImageProblem.Create(DiagnosticCodes.DirectoryNotFound, index, folder.Source);
                break;
            case AppPublishOutputLayer app when !Directory.Exists(app.Source):
                yield return ImageProblem.Create(DiagnosticCodes.DirectoryNotFound, index, app.Source);
                break;
            case SourceFileLayer file when !File.Exists(file.Source):
                yield return ImageProblem.Create(DiagnosticCodes.FileNotFound, index, "source file", file.Source);
                break;
            case RequirementsLayer requirements when !File.Exists(requirements.File):
                yield return ImageProblem.Create(DiagnosticCodes.FileNotFound, index, "requirements file", requirements.File);
                break;
            case UvProjectLayer uv:
                if (!File.Exists(uv.PyprojectFile)) yield return ImageProblem.Create(DiagnosticCodes.FileNotFound, index, "pyproject.toml file", uv.PyprojectFile);
                if (!File.Exists(uv.UvLockFile)) yield return ImageProblem.Create(DiagnosticCodes.FileNotFound, index, "uv.lock file", uv.UvLockFile);
                else if (image.Installer == PythonInstaller.Pip && File.Exists(uv.PyprojectFile))
                {
                    // Only pip mode reads the lock here (uv reads it in the build).
                    var lockProblem = Attribute(index, () => PythonInputs.Default.ReadLockedRequirements(uv.UvLockFile, uv.PyprojectFile));
                    if (lockProblem is not null) yield return lockProblem;
                }
                break;
            case RequirementsLayer requirements:
                // The includes reader is another concern's code: attribute its errors to this layer.
                var include = Attribute(index, () => PythonInputs.Default.CollectRequirementFiles(requirements.File));
                if (include is not null) yield return include;
                break;
            case DockerIgnoreLayer ignore:
                var problem = CheckDockerIgnore(ignore, index);
                if (problem is not null) yield return problem;
                break;
        }
    }

    private static ImageProblem? Attribute(int index, Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (ImageDefinitionException e)
        {
            return new ImageProblem(e.Code, e.Message, e.LayerIndex ?? index);
        }
    }

    private static ImageProblem? CheckDockerIgnore(DockerIgnoreLayer layer, int index)
    {
        if (!File.Exists(layer.File)) return ImageProblem.Create(DiagnosticCodes.FileNotFound, index, ".dockerignore file", layer.File);
        try
        {
            _ = DockerIgnoreFile.Read(layer.File, index);
            return null;
        }
        catch (ImageDefinitionException e)
        {
            return new ImageProblem(e.Code, e.Message, index);
        }
    }

    // One problem per unavailable secret id, at the first layer that uses it.
    private static IEnumerable<ImageProblem> CheckSecrets(Image image)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < image.Layers.Count; index++)
        {
            foreach (var secret in Image.SecretsOf(image.Layers[index]))
            {
                if (!seen.Add(secret.Id) || secret.IsAvailable()) continue;
                var source = secret.SourceKind == SecretSourceKind.File
                    ? $"the file '{secret.Source}'"
                    : $"the environment variable '{secret.Source}'";
                yield return ImageProblem.Create(DiagnosticCodes.SecretSourceMissing, index, secret.Id, source);
            }
        }
    }
}
