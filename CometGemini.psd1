@{
    RootModule           = 'CometGemini.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d8a0e-6f3c-4f65-9a53-2a3c7e1d9c41'
    Author               = 'CometGemini contributors'
    CompanyName          = 'CometGemini'
    Copyright            = '(c) CometGemini contributors. MIT License.'
    Description          = 'Google Gemini''s native API (generateContent and streaming) in PowerShell pipelines, through CometAPI or Google.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CometGemini.format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Add-GeminiFile'
        'Clear-GeminiAnswerCache'
        'Connect-Gemini'
        'Disconnect-Gemini'
        'Enter-GeminiChat'
        'Export-GeminiChat'
        'Get-GeminiBatchJob'
        'Get-GeminiCache'
        'Get-GeminiEmbedding'
        'Get-GeminiFile'
        'Get-GeminiModel'
        'Get-GeminiStream'
        'Import-GeminiChat'
        'Invoke-GeminiContent'
        'Measure-GeminiToken'
        'New-GeminiCache'
        'New-GeminiChat'
        'New-GeminiPart'
        'New-GeminiTool'
        'Receive-GeminiBatchJob'
        'Remove-GeminiBatchJob'
        'Remove-GeminiCache'
        'Remove-GeminiFile'
        'Set-GeminiCache'
        'Start-GeminiBatchJob'
        'Stop-GeminiBatchJob'
        'Test-GeminiModelReference'
        'Wait-GeminiBatchJob'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Gemini', 'GoogleAI', 'CometAPI', 'LLM', 'AI', 'PSEdition_Core', 'PSEdition_Desktop')
        }
    }
}
