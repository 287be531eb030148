namespace CometGemini;

/// <summary>
/// The thresholds of -SafetySetting (the API's HarmBlockThreshold, sent as BLOCK_ONLY_HIGH and so on), so that Tab can
/// list them where a hashtable's value is typed: `@{ DangerousContent = [CometGemini.HarmBlockThreshold]::&lt;Tab&gt;`.
/// </summary>
/// <remarks>
/// pwsh asks no completer for the value of a hashtable entry (it completes keys only; `@{ Key = &lt;Tab&gt;` offers
/// nothing by design, checked in pwsh 7.6's CompletionAnalysis), but it completes the members of a type. Strings still
/// work and are not checked here: `@{ DangerousContent = 'BlockOnlyHigh' }` is the same, and a threshold the API adds
/// later can be written as the API spells it.
/// </remarks>
public enum HarmBlockThreshold
{
    /// <summary>Blocks content rated low, medium or high (blocks most).</summary>
    BlockLowAndAbove = 1,

    /// <summary>Blocks content rated medium or high.</summary>
    BlockMediumAndAbove = 2,

    /// <summary>Blocks only content rated high (blocks least).</summary>
    BlockOnlyHigh = 3,

    /// <summary>Blocks nothing; the ratings still come back.</summary>
    BlockNone = 4,

    /// <summary>Turns the category's filter off.</summary>
    Off = 5,
}
