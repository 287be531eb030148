BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Tools' {
    It 'A_command_becomes_a_declaration_from_its_parameters_and_help' {
        function Get-MyServiceStatus {
            <#
            .SYNOPSIS
            Reports whether services are running or stopped.
            #>
            param([Parameter(Mandatory)] [string[]] $Name, [ValidateSet('Running', 'Stopped')] [string] $State)
            $Name
        }
        # The default fake answers in text, so no call is made; -Debug shows the declaration that was sent.
        $debug = (Invoke-GeminiContent 'Hi' -Tool (Get-Command Get-MyServiceStatus) -Debug 5>&1 4>$null | ForEach-Object { "$_" }) -join "`n"
        $debug | Should -Match '"functionDeclarations"'
        $debug | Should -Match '"name":"Get-MyServiceStatus"'
        $debug | Should -Match '"enum":\["Running","Stopped"\]'
        $debug | Should -Match '"required":\["Name"\]'
    }

    It 'A_tool_that_is_not_a_command_is_a_clear_error_before_sending' {
        { Invoke-GeminiContent 'x' -Tool Get-NoSuchThing -ErrorAction Stop } | Should -Throw -ErrorId 'GeminiToolNotFound*'
    }
}
