; Inno Setup script for the Windows installer (built by .github/workflows/release.yml):
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\VendorConsole packaging\windows\VendorConsole.iss
; Installs the one-folder PyInstaller build into Program Files. The shop's data lives in
; %LOCALAPPDATA%\VendorConsole (vendor_console/paths.py), which this installer never touches:
; upgrading replaces the program files only, and uninstalling leaves the data in place.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\VendorConsole"
#endif

[Setup]
; A fixed AppId makes a newer installer upgrade the installed app in place.
AppId={{6B0C4F1E-3D52-4C8A-9E1B-7F2A5D9C0E41}
AppName=Vendor Console
AppVersion={#AppVersion}
AppPublisher=Vendor Console contributors
DefaultDirName={autopf}\Vendor Console
DefaultGroupName=Vendor Console
DisableProgramGroupPage=yes
OutputBaseFilename=VendorConsole-{#AppVersion}-setup
OutputDir=..\..\dist\installer
SetupIconFile=..\..\resources\icons\vendor-console.ico
UninstallDisplayIcon={app}\VendorConsole.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=commandline dialog
WizardStyle=modern
; Close a running till before replacing its files, and start it again afterwards.
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade removes the previous build's libraries first (never the data folder, which is
; elsewhere), so no stale module from an older version is ever loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Vendor Console"; Filename: "{app}\VendorConsole.exe"
Name: "{group}\Vendor Console self-test"; Filename: "{app}\vendor-console.exe"; Parameters: "--self-test"
Name: "{autodesktop}\Vendor Console"; Filename: "{app}\VendorConsole.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\VendorConsole.exe"; Description: "{cm:LaunchProgram,Vendor Console}"; Flags: nowait postinstall skipifsilent
