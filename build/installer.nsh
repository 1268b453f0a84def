; NSIS additions for the per-machine install (electron-builder `nsis.include`).
; Silent: `KySo-Setup.exe /S /allusers` installs for every user; `Uninstall KySo.exe /S /allusers` removes it.

!macro customInstall
  ${if} $installMode == "all"
    ; Start KySo hidden in the tray at every user's login (per-machine: HKLM; per-user installs use the app's own
    ; setting, which writes HKCU).
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "KySo" '"$INSTDIR\KySo.exe" --hidden'
    ; %ProgramData%\KySo holds the machine policy and the machine certificate: only SYSTEM and Administrators may
    ; write it, users read it. ProgramData lets any user create folders, so without this a user (or malware running
    ; as one) could plant a policy.json before the admin does (docs/threat-model.md, "Policy").
    ReadEnvStr $0 PROGRAMDATA
    CreateDirectory "$0\KySo"
    nsExec::Exec 'icacls "$0\KySo" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
    ; The machine step (main/core/deploy/machine-install.ts): the machine's local certificate, its name-constrained
    ; CA in the machine Root store, and the browser policies when the machine policy says "browserPolicy": "write".
    ; Idempotent; runs on every install and upgrade.
    ExecWait '"$INSTDIR\KySo.exe" --machine-install' $1
  ${endif}
  ; "Sign with KySo" on every PDF's context menu (SHCTX: HKLM per machine, HKCU per user), without taking over
  ; the default PDF viewer. The app forwards the file to its "Sign files" page (main/electron/opened-files-argv.ts);
  ; signing still needs the approval.
  WriteRegStr SHCTX "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign" "MUIVerb" "Ký bằng KySo (Sign with KySo)"
  WriteRegStr SHCTX "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign" "Icon" '"$INSTDIR\KySo.exe",0'
  WriteRegStr SHCTX "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign\command" "" '"$INSTDIR\KySo.exe" --sign-files "%1"'
  ; "Open with" lists KySo for PDFs.
  WriteRegStr SHCTX "Software\Classes\Applications\KySo.exe\SupportedTypes" ".pdf" ""
  WriteRegStr SHCTX "Software\Classes\.pdf\OpenWithList\KySo.exe" "" ""
!macroend

!macro customUnInstall
  ; Leave nothing listening and nothing starting: stop every KySo and remove both autostart entries.
  nsExec::Exec 'taskkill /F /IM "KySo.exe"'
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "KySo"
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "KySo"
  ; Undo the machine step (CA, browser policies it wrote, the machine certificate), exactly what its record names,
  ; while KySo.exe is still there. Not on an update: the new version's install keeps what is still good.
  ${ifNot} ${isUpdated}
    ${if} $installMode == "all"
      ExecWait '"$INSTDIR\KySo.exe" --machine-uninstall' $1
    ${endif}
  ${endif}
  ; The context menu and "Open with" entries, from both roots (an earlier install may have been the other mode).
  DeleteRegKey HKLM "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign"
  DeleteRegKey HKCU "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign"
  DeleteRegKey HKLM "Software\Classes\Applications\KySo.exe\SupportedTypes"
  DeleteRegKey HKCU "Software\Classes\Applications\KySo.exe\SupportedTypes"
  DeleteRegKey HKLM "Software\Classes\.pdf\OpenWithList\KySo.exe"
  DeleteRegKey HKCU "Software\Classes\.pdf\OpenWithList\KySo.exe"
!macroend
