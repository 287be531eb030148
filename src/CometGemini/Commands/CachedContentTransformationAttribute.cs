using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>Lets -CachedContent take a cache object (New-GeminiCache, Get-GeminiCache) as well as its name.</summary>
internal sealed class CachedContentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        PSObjects.UnwrapUnlessCustom(inputData) is GeminiCache cache ? cache.Name : inputData;
}
