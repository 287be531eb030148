using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CometGemini.Completion;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// Keeps key, endpoint, default model and call settings for the session (the process: runspaces of
/// ForEach-Object -Parallel and thread jobs share it). Sends nothing; checks that the calls could be made.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Gemini", DefaultParameterSetName = KeySet)]
[OutputType(typeof(GeminiConnection))]
public sealed class ConnectGeminiCommand : ApiCommand
{
    private const string KeySet = "ApiKey";
    private const string CredentialSet = "Credential";
    private const string VaultSet = "Vault";

    [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = VaultSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    [Parameter(ParameterSetName = VaultSet)]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Model { get; set; }

    [Parameter]
    public SwitchParameter AutoUpload { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The session's token budget: every generating command of the session counts its answers' tokens against it.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaxTotalTokens { get; set; }

    protected override void EndProcessing()
    {
        if (ApiKey is not null && ParameterSetName != KeySet)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-ApiKey and " + (ParameterSetName == CredentialSet ? "-Credential" : "-SecretName") + " both give a key: pass one.",
                "GeminiKeyConflict",
                ErrorCategory.InvalidArgument,
                null));
        }

        if (Model is not null)
            ValidateModelName(Model);

        GeminiConnection connection = BoundConnection();
        connection.Model = Model;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxTotalTokens)))
            connection.Budget = new TokenBudget(MaxTotalTokens, "Connect-Gemini -MaxTotalTokens"); // a new connection counts anew
        connection.AutoUpload = AutoUpload.IsPresent;
        if (Credential is not null)
        {
            connection.ApiKey = Credential.Password;
            connection.KeySource = "-Credential";
        }
        else if (SecretName is not null)
        {
            connection.ApiKey = ReadSecret(SecretName, Vault);
            connection.KeySource = Vault is null ? $"secret '{SecretName}'" : $"secret '{SecretName}' in vault '{Vault}'";
        }

        // Fails here, not at the first call, when no key or endpoint can be found.
        var endpoint = Resolve(new[] { connection });
        connection.BaseUri = endpoint.BaseUri;
        connection.KeySource = endpoint.KeySource;
        if (connection.ApiKey is null)
            this.WriteVerboseLine($"No key given: calls read it from $env:{endpoint.KeySource} each time.");
        GeminiConnection.Session = connection;
        this.WriteVerboseLine($"Connected: {connection}.");
        if (PassThru.IsPresent)
            WriteObject(connection);
    }

    // Microsoft.PowerShell.SecretManagement's Get-Secret, run in the caller's session so its vault registrations apply.
    private SecureString ReadSecret(string name, string? vault)
    {
        if (InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function) is null)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-SecretName needs Microsoft.PowerShell.SecretManagement, which is not installed.",
                "GeminiSecretManagementMissing",
                ErrorCategory.NotInstalled,
                name,
                "Install-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore; Set-Secret -Name " + name + "; or pass -ApiKey."));
        }

        using PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand("Get-Secret").AddParameter("Name", name).AddParameter("ErrorAction", "Stop");
        if (vault is not null)
            shell.AddParameter("Vault", vault);
        Collection<PSObject> found;
        try
        {
            found = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            // Get-Secret's own message names the secret and vault, never the value.
            ThrowTerminatingError(new ErrorRecord(e, "GeminiSecretUnavailable", ErrorCategory.ObjectNotFound, name)
            {
                ErrorDetails = new ErrorDetails($"The secret '{name}' could not be read: {e.Message}")
                {
                    RecommendedAction = "Check the name with Get-SecretInfo, unlock the vault (Unlock-SecretStore), or store the key with Set-Secret -Name " + name + ".",
                },
            });
            throw; // not reached
        }

        object? value = found.Select(o => o.BaseObject).FirstOrDefault();
        switch (value)
        {
            case SecureString secure:
                return secure;
            case PSCredential credential:
                return credential.Password;
            case string text when text.Length > 0:
                var secureText = new SecureString();
                foreach (char c in text)
                    secureText.AppendChar(c);
                secureText.MakeReadOnly();
                return secureText;
            default:
                ThrowTerminatingError(ErrorRecords.Usage(
                    $"The secret '{name}' is not a string, SecureString or PSCredential, so it cannot be an API key.",
                    "GeminiSecretUnavailable",
                    ErrorCategory.InvalidType,
                    name,
                    "Store the key as a string: Set-Secret -Name " + name + " -Secret (Read-Host -AsSecureString)."));
                throw new InvalidOperationException(); // not reached
        }
    }
}
