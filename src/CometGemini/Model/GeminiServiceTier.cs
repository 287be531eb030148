namespace CometGemini;

/// <summary>
/// The inference tier a request asks for (-ServiceTier): Standard is the default, Flex is cheaper and slower and may
/// be shed, Priority costs more and is served first. The wire spells them in lower case (docs/wire.md §4.5).
/// </summary>
public enum GeminiServiceTier
{
    Standard,
    Flex,
    Priority,
}
