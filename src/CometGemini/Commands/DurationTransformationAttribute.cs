using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace CometGemini.Commands;

/// <summary>
/// -StartOffset and -EndOffset take a TimeSpan, a number of seconds (90, 12.5), a wire duration ("12.5s"), minutes
/// and seconds as a video player shows them ("1:30", "1:30.5") or hours, minutes and seconds ("1:02:03"). A bare
/// number means seconds: PowerShell's own conversion would read it as ticks, and "1:30" as a TimeSpan would be 90 minutes.
/// </summary>
internal sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex MinutesAndSeconds = new(@"^\s*(?<minutes>[0-9]+):(?<seconds>[0-5]?[0-9](\.[0-9]+)?)\s*$", RegexOptions.CultureInvariant);

    private static readonly Regex WireDuration = new(@"^\s*(?<seconds>[0-9]+(\.[0-9]+)?)\s*s\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.BaseObject(inputData);
        switch (value)
        {
            case null or TimeSpan:
                return value;
            case int or long or double or decimal or float or short or byte:
                return Seconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value);
            case string text when WireDuration.Match(text) is { Success: true } wire:
                return Seconds(double.Parse(wire.Groups["seconds"].Value, CultureInfo.InvariantCulture), value);
            case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds):
                return Seconds(seconds, value);
            case string text when MinutesAndSeconds.Match(text) is { Success: true } clock:
                return Seconds((int.Parse(clock.Groups["minutes"].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(clock.Groups["seconds"].Value, CultureInfo.InvariantCulture), value);
            case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span):
                return span;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"'{value}' is not a time in the video. Pass seconds (90 or 12.5), a duration ('12.5s'), a time ('1:30') or a TimeSpan ([timespan]::FromMinutes(1.5)).");
        }
    }

    private static TimeSpan Seconds(double seconds, object value)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
            throw new ArgumentTransformationMetadataException($"'{value}' is not a time in the video. Pass seconds (90 or 12.5), a duration ('12.5s') or a TimeSpan.");
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }
}
