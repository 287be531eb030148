namespace CometGemini;

/// <summary>
/// How many tokens the model spends on an image, a video frame or a PDF page (-MediaResolution): for the whole request
/// (generationConfig.mediaResolution) or for one part (Gemini 3 and later). Wire names are MEDIA_RESOLUTION_… (docs/wire.md §4.6).
/// </summary>
public enum GeminiMediaResolution
{
    Low,
    Medium,
    High,
}
