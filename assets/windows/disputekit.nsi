; The Windows installer of DisputeKit, made on Linux by NSIS (Debian: nsis) through `make package-windows`:
;   makensis -DVERSION=0.1.0 -DSTAGE=dist/windows/DisputeKit -DOUTFILE=dist/….exe assets/windows/disputekit.nsi
; It installs for the current user only (no administrator rights), under %LocalAppData%\Programs\DisputeKit,
; with a Start-menu shortcut and an entry in "Apps & features". The case store is never touched by it:
; it lives in %LocalAppData%\DisputeKit and stays when the program is removed.
Target amd64-unicode ; a 64-bit installer for a 64-bit app (and Wine without 32-bit support can run it)
!include "MUI2.nsh"

!ifndef VERSION
  !error "give -DVERSION=x.y.z"
!endif
!ifndef STAGE
  !error "give -DSTAGE=folder with DisputeKit.exe and dk.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "DisputeKit-${VERSION}-windows-amd64-setup.exe"
!endif

!define APPNAME "DisputeKit"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\org.disputekit.app"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "DisputeKit authors"

!define MUI_ICON "${STAGE}\icon.ico"
!define MUI_UNICON "${STAGE}\icon.ico"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\DisputeKit.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "DisputeKit"
  SetOutPath "$INSTDIR"
  File "${STAGE}\DisputeKit.exe"
  File "${STAGE}\dk.exe"
  File "${STAGE}\icon.ico"
  File "${STAGE}\LICENSE-wqy-microhei.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\DisputeKit.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME} 维权助手"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "DisputeKit"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\DisputeKit.exe"
  Delete "$INSTDIR\dk.exe"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\LICENSE-wqy-microhei.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd
