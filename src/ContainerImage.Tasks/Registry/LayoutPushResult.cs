namespace ContainerImage.Registry;

/// <summary>What <see cref="RegistryClient.PushLayoutAsync"/> did, over every repository it pushed to.</summary>
/// <param name="Digest">The digest of the pushed image (its manifest, or its index for several platforms): the layout's.</param>
/// <param name="BlobsUploaded">Config and layer blobs uploaded (counted once per repository).</param>
/// <param name="BlobsPresent">Config and layer blobs the registry already had, so not sent.</param>
/// <param name="BytesUploaded">The bytes of the uploaded blobs.</param>
public sealed record LayoutPushResult(string Digest, int BlobsUploaded, int BlobsPresent, long BytesUploaded);
