; NSIS additions for the per-machine install (electron-builder `nsis.include`).
; Silent: `KySo-Setup.exe /S /allusers` installs for every user; `Uninstall KySo.exe /S /allusers` removes it.

!macro customInstall
  ; Start KySo hidden in the tray at every user's login (per-machine: HKLM; per-user installs use the app's own
  ; setting, which writes HKCU).
  ${if} $installMode == "all"
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "KySo" '"$INSTDIR\KySo.exe" --hidden'
  ${endif}
!macroend

!macro customUnInstall
  ; Leave nothing listening and nothing starting: stop every KySo and remove both autostart entries.
  nsExec::Exec 'taskkill /F /IM "KySo.exe"'
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "KySo"
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "KySo"
!macroend
