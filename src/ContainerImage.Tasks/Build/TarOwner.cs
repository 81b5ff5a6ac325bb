namespace ContainerImage.Build;

/// <summary>The owner a tar rewrite gives every entry it keeps.</summary>
/// <param name="Uid">The numeric user id.</param>
/// <param name="Gid">The numeric group id.</param>
/// <param name="UserName">The user name written to the entries (ustar <c>uname</c>, PAX <c>uname</c>); null leaves each entry's as it is.</param>
/// <param name="GroupName">The group name written to the entries (ustar <c>gname</c>, PAX <c>gname</c>); null leaves each entry's as it is.</param>
public sealed record TarOwner(long Uid, long Gid, string? UserName = null, string? GroupName = null);
