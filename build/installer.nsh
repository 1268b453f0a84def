; NSIS additions for the per-machine install (electron-builder `nsis.include`).
; Silent: `KySo-Setup.exe /S /allusers` installs for every user; `Uninstall KySo.exe /S /allusers` removes it.

!macro customInstall
  ; Start KySo hidden in the tray at every user's login (per-machine: HKLM; per-user installs use the app's own
  ; setting, which writes HKCU).
  ${if} $installMode == "all"
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "KySo" '"$INSTDIR\KySo.exe" --hidden'
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
  ; The context menu and "Open with" entries, from both roots (an earlier install may have been the other mode).
  DeleteRegKey HKLM "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign"
  DeleteRegKey HKCU "Software\Classes\SystemFileAssociations\.pdf\shell\KySo.Sign"
  DeleteRegKey HKLM "Software\Classes\Applications\KySo.exe\SupportedTypes"
  DeleteRegKey HKCU "Software\Classes\Applications\KySo.exe\SupportedTypes"
  DeleteRegKey HKLM "Software\Classes\.pdf\OpenWithList\KySo.exe"
  DeleteRegKey HKCU "Software\Classes\.pdf\OpenWithList\KySo.exe"
!macroend
