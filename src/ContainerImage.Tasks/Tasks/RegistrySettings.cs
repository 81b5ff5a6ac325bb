using System.Globalization;
using ContainerImage.Diagnostics;
using ContainerImage.Registry;

namespace ContainerImage.Tasks;

/// <summary>
/// $(ImageRegistryTimeout), $(ImageRegistryRetries) and $(ImageInsecureRegistries) as registry options: one
/// reading, with one set of defaults and bounds, for every task that asks a registry (publishing, base
/// pinning, the early check), so the early check's key matches the publish's own options by construction.
/// </summary>
internal static class RegistrySettings
{
    /// <summary>The options for these property values; a value out of range or not a number is CIMG5010 naming its property.</summary>
    public static RegistryOptions Options(string? timeout, string? retries, string? insecureRegistries) => new()
    {
        Timeout = TimeSpan.FromSeconds(Number("ImageRegistryTimeout", timeout, 10, 0.1, 3600)),
        Retries = (int)Number("ImageRegistryRetries", retries, 2, 0, 20),
        InsecureRegistries = ImageItemMapper.Split(insecureRegistries).ToList(),
    };

    private static double Number(string property, string? value, double defaultValue, double min, double max)
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultValue;
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max) return number;
        throw new ItemMappingException(new ImageDefinitionException(DiagnosticCodes.InvalidProperty, property, value,
            string.Create(CultureInfo.InvariantCulture, $"use a number from {min} to {max}")), null, property);
    }
}
