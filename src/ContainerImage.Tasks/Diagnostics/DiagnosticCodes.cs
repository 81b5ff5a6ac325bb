namespace ContainerImage.Diagnostics;

/// <summary>
/// Every diagnostic code, one per cause. Ranges: 1xxx registry, 2xxx invalid input, 3xxx engine and
/// build, 4xxx missing inputs, 5xxx the MSBuild surface. Messages live in <c>Strings.resx</c> and every
/// code is documented in <c>docs/diagnostics.md</c> (a test checks both).
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>Could not ask registry '{0}' whether '{1}' exists ({2})</summary>
    public const string RegistryCheckFailed = "CIMG1001";

    /// <summary>Registry '{0}' refused the credentials for '{1}' ({2})</summary>
    public const string RegistryAuthenticationFailed = "CIMG1002";

    /// <summary>The docker config '{0}' could not be read ({1})</summary>
    public const string DockerConfigInvalid = "CIMG1003";

    /// <summary>The credential helper 'docker-credential-{0}' failed for '{1}' ({2})</summary>
    public const string CredentialHelperFailed = "CIMG1004";

    /// <summary>The digest of '{0}' could not be resolved: {1}.</summary>
    public const string BaseDigestUnresolved = "CIMG1030";

    /// <summary>The base image '{0}' moved: it is now {1}, but {2} is expected.</summary>
    public const string BaseImageMoved = "CIMG1031";

    /// <summary>The base image '{0}' has no {1} (it has {2}), so '{3}' cannot be built for it.</summary>
    public const string BaseImageLacksPlatform = "CIMG1032";

    /// <summary>The image name '{0}' is not a valid repository name</summary>
    public const string InvalidImageName = "CIMG2001";

    /// <summary>The registry '{0}' is not valid</summary>
    public const string InvalidRegistry = "CIMG2002";

    /// <summary>The tag '{0}' is not valid</summary>
    public const string InvalidTag = "CIMG2003";

    /// <summary>The image reference '{0}' is not valid</summary>
    public const string InvalidImageReference = "CIMG2004";

    /// <summary>The platform '{0}' is not valid</summary>
    public const string InvalidPlatform = "CIMG2005";

    /// <summary>The Python version '{0}' is not valid</summary>
    public const string InvalidPythonVersion = "CIMG2006";

    /// <summary>Layers cannot be added to an image built from a Dockerfile ('{0}')</summary>
    public const string LayersOnDockerfileImage = "CIMG2007";

    /// <summary>The requirements file '{0}' must have the extension '.txt'.</summary>
    public const string RequirementsNotTxt = "CIMG2008";

    /// <summary>The environment variable name '{0}' is not valid</summary>
    public const string InvalidEnvironmentVariableName = "CIMG2009";

    /// <summary>The value of environment variable '{0}' contains a newline or control character, which a Dockerfile cannot hold</summary>
    public const string InvalidEnvironmentVariableValue = "CIMG2010";

    /// <summary>The command '{0}' is not valid</summary>
    public const string InvalidCommand = "CIMG2011";

    /// <summary>The apt package '{0}' is not a valid package name (optionally with '=version' or '/release').</summary>
    public const string InvalidAptPackage = "CIMG2012";

    /// <summary>The Python package requirement '{0}' is not valid</summary>
    public const string InvalidPipRequirement = "CIMG2013";

    /// <summary>The path '{0}' for {1} is not valid</summary>
    public const string InvalidImagePath = "CIMG2014";

    /// <summary>The secret id '{0}' is not valid</summary>
    public const string InvalidSecretId = "CIMG2015";

    /// <summary>The secret '{0}' is not valid</summary>
    public const string InvalidSecretMount = "CIMG2016";

    /// <summary>The package index URL '{0}' is not valid</summary>
    public const string InvalidIndexUrl = "CIMG2017";

    /// <summary>The extra installer argument '{0}' contains a newline or control character.</summary>
    public const string InvalidInstallerArgument = "CIMG2018";

    /// <summary>A Python version can only be set on a Debian-based image</summary>
    public const string PythonVersionNotApplicable = "CIMG2019";

    /// <summary>The platform list is not valid</summary>
    public const string InvalidPlatformList = "CIMG2020";

    /// <summary>The {0} layer declares nothing to install or run.</summary>
    public const string EmptyLayer = "CIMG2021";

    /// <summary>The uv script '{0}' has no valid '# /// script' metadata block</summary>
    public const string InvalidUvScript = "CIMG2022";

    /// <summary>No supported Python version satisfies requires-python '{0}' in '{1}'</summary>
    public const string UnsatisfiableRequiresPython = "CIMG2023";

    /// <summary>The file '{0}' is not a valid pyproject.toml</summary>
    public const string InvalidPyproject = "CIMG2024";

    /// <summary>The secret '{0}' is declared twice with different settings.</summary>
    public const string ConflictingSecret = "CIMG2025";

    /// <summary>The user '{0}' is not valid</summary>
    public const string InvalidUser = "CIMG2026";

    /// <summary>The requirements file '{0}' includes '{1}', which {2}.</summary>
    public const string InvalidRequirementsFile = "CIMG2027";

    /// <summary>The label '{0}' is not valid</summary>
    public const string InvalidLabel = "CIMG2028";

    /// <summary>The .dockerignore file '{0}' has an invalid pattern on line {1}</summary>
    public const string InvalidDockerIgnore = "CIMG2029";

    /// <summary>The port '{0}' is not valid</summary>
    public const string InvalidPort = "CIMG2030";

    /// <summary>The Debian base user '{0}' with uid {1} cannot be created</summary>
    public const string DebianUserNotCreatable = "CIMG2040";

    /// <summary>The {0} argument '{1}' is not valid: {2}.</summary>
    public const string InvalidExecArgument = "CIMG2070";

    /// <summary>The health check is not valid: {0}.</summary>
    public const string InvalidHealthcheck = "CIMG2071";

    /// <summary>Only an image built from an existing image can pin its base digest; this base is {0}.</summary>
    public const string BasePinNotApplicable = "CIMG2072";

    /// <summary>The digest '{0}' is not valid.</summary>
    public const string InvalidDigest = "CIMG2073";

    /// <summary>The platform {0} is not built by the parent image '{1}'.</summary>
    public const string PlatformNotInParent = "CIMG2074";

    /// <summary>The base reference '{0}' already holds a digest.</summary>
    public const string BaseAlreadyPinned = "CIMG2075";
    /// <summary>The requires-python '{0}' in '{1}' is not a valid version specifier</summary>
    public const string InvalidRequiresPython = "CIMG2060";

    /// <summary>The {0} '{1}' could not be read ({2})</summary>
    public const string PythonInputUnreadable = "CIMG2061";

    /// <summary>The file '{0}' is not a valid uv.lock</summary>
    public const string InvalidUvLock = "CIMG2062";

    /// <summary>The docker CLI '{0}' could not be started ({1})</summary>
    public const string DockerNotFound = "CIMG3001";

    /// <summary>docker buildx build failed for '{0}' with exit code {1}. Last lines</summary>
    public const string BuildFailed = "CIMG3002";

    /// <summary>The build of '{0}' was cancelled.</summary>
    public const string BuildCancelled = "CIMG3003";

    /// <summary>docker buildx build succeeded for '{0}' but wrote no image digest to '{1}'.</summary>
    public const string BuildMetadataMissing = "CIMG3004";

    /// <summary>The docker buildx plugin is not available ({0})</summary>
    public const string BuildxNotAvailable = "CIMG3005";

    /// <summary>The {0} output of '{1}' needs an archive path</summary>
    public const string BuildArchivePathMissing = "CIMG3010";

    /// <summary>'{0}' cannot be pushed or loaded without a tag</summary>
    public const string BuildTagMissing = "CIMG3011";

    /// <summary>docker push of '{0}' to registry '{1}' failed</summary>
    public const string PushFailed = "CIMG3100";

    /// <summary>The Docker engine is not reachable</summary>
    public const string EngineUnreachable = "CIMG3101";

    /// <summary>{0} ended unexpectedly (killed or crashed) while publishing '{2}'</summary>
    public const string BuildProcessEndedUnexpectedly = "CIMG3102";

    /// <summary>The OCI image layout '{0}' buildx wrote cannot be pushed (unreadable, a blob missing)</summary>
    public const string OciLayoutInvalid = "CIMG3110";

    /// <summary>Pushing '{0}' to registry '{1}' (repository '{2}') failed over HTTP</summary>
    public const string LayoutPushFailed = "CIMG3111";

    /// <summary>The registry stored a manifest under another digest than the layout's</summary>
    public const string PushedDigestMismatch = "CIMG3112";

    /// <summary>The {0} '{1}' does not exist.</summary>
    public const string FileNotFound = "CIMG4001";

    /// <summary>The source folder '{0}' does not exist.</summary>
    public const string DirectoryNotFound = "CIMG4002";

    /// <summary>The secret '{0}' takes its value from {1}, which is not set on this machine.</summary>
    public const string SecretSourceMissing = "CIMG4003";

    /// <summary>The source folder '{0}' contains a symbolic link loop at '{1}'.</summary>
    public const string SymbolicLinkLoop = "CIMG4004";

    /// <summary>'{0}' is a symbolic link that points outside the folder '{1}'</summary>
    public const string InputOutsideFolder = "CIMG4005";

    /// <summary>The source file '{0}' is excluded by the image's .dockerignore rules</summary>
    public const string SourceFileIgnored = "CIMG4010";

    /// <summary>The input '{0}' could not be read ({1})</summary>
    public const string InputUnreadable = "CIMG4011";

    /// <summary>Could not write '{0}': the disk is full</summary>
    public const string DiskFull = "CIMG4100";

    /// <summary>The ImageLayer '{0}' has Kind '{1}', which is not one of</summary>
    public const string UnknownLayerKind = "CIMG5001";

    /// <summary>The ImageLayer '{0}' has no Kind metadata</summary>
    public const string MissingLayerKind = "CIMG5002";

    /// <summary>The metadata '{0}' of '{1}' is '{2}', which is not 'true' or 'false'.</summary>
    public const string InvalidBooleanMetadata = "CIMG5003";

    /// <summary>More than one base is set for image '{0}' ({1})</summary>
    public const string ConflictingBases = "CIMG5004";

    /// <summary>The ImageLayer '{0}' uses secret '{1}', which no ImageSecret item declares.</summary>
    public const string UnknownSecretReference = "CIMG5005";

    /// <summary>'{0}' refers to image '{1}', which this project does not declare.</summary>
    public const string UnknownImageReference = "CIMG5006";

    /// <summary>The ImageLayer '{0}' of Kind '{1}' has metadata '{2}', which that kind does not accept</summary>
    public const string UnknownMetadata = "CIMG5007";

    /// <summary>ImagePythonInstaller is '{0}'</summary>
    public const string InvalidPythonInstaller = "CIMG5008";

    /// <summary>The images {0} derive from each other in a cycle.</summary>
    public const string ImageDependencyCycle = "CIMG5009";

    /// <summary>The property '{0}' has the value '{1}', which is not valid</summary>
    public const string InvalidProperty = "CIMG5010";

    /// <summary>The property '{0}' applies only to Debian-based images</summary>
    public const string PropertyNeedsDebianBase = "CIMG5011";

    /// <summary>The property '{0}' applies only to a uv-script base</summary>
    public const string PropertyNeedsUvScriptBase = "CIMG5050";

    /// <summary>ImageUvScriptSecrets names secret '{0}', which no ImageSecret item declares</summary>
    public const string UnknownUvScriptSecret = "CIMG5051";

    /// <summary>ContainerImage.Sdk failed unexpectedly in {0}</summary>
    public const string UnexpectedTaskFailure = "CIMG5012";

    /// <summary>The ImageSecret '{0}' sets both {1} and {2}</summary>
    public const string ConflictingSecretMetadata = "CIMG5013";

    /// <summary>The ImageSecret '{0}' has metadata '{1}', which it does not accept</summary>
    public const string UnknownSecretMetadata = "CIMG5014";

    /// <summary>The ImageSecret '{0}' is declared more than once</summary>
    public const string DuplicateSecret = "CIMG5015";

    /// <summary>ImageOutput is '{0}', which needs ImageArchivePath</summary>
    public const string ArchivePathRequired = "CIMG5016";

    /// <summary>The image definition '{0}' is missing or unreadable</summary>
    public const string ImageDefinitionMissing = "CIMG5017";

    /// <summary>The image name '{0}' is declared more than once in this project</summary>
    public const string DuplicateImageName = "CIMG5018";

    /// <summary>The {0} item '{1}' has Clear='true' but is not a single Include="none"</summary>
    public const string ClearNeedsNone = "CIMG5040";

    /// <summary>The Healthcheck item '{0}' has {1}='{2}', which is not valid</summary>
    public const string InvalidHealthcheckMetadata = "CIMG5041";

    /// <summary>The SourceFolder item '{0}' has ChunkBytes='{1}', which is not a size</summary>
    public const string InvalidChunkBytes = "CIMG5130";

    /// <summary>The base image lock file '{0}' cannot be used</summary>
    public const string InvalidBaseImageLockFile = "CIMG5042";

    /// <summary>The folder '{0}' for image '{1}' already holds the definition of project '{2}'.</summary>
    public const string ImageFolderShared = "CIMG5120";
}
