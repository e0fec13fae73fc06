; Inno Setup script: an installer for those who prefer one to copying the folder.
; Build the bundle first (see BUILD.md), then on Windows with Inno Setup 6:
;   iscc /DAppVersion=0.1.0 build_spec\dangqun.iss
; Output: build_spec\Output\dangqun-setup-<version>.exe
;
; Per-user install into %LOCALAPPDATA%\Programs, so no administrator rights are
; needed on a center's PC. The data folder (%LOCALAPPDATA%\dangqun: database,
; backups, settings, logs) is written by the program, never listed under [Files],
; so uninstalling removes the program and keeps every record.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "党群服务中心工作台"
#define BundleDir "..\dist\dangqun"

[Setup]
AppId={{6B1B7E2C-5F3A-4C41-9E4D-2D8A0C7A3F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\dangqun
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
DisableProgramGroupPage=yes
OutputBaseFilename=dangqun-setup-{#AppVersion}
SetupIconFile=..\resources\dangqun.ico
UninstallDisplayIcon={app}\dangqun.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.3+ (older versions: from its unofficial translations).
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\dangqun.exe"
Name: "{group}\卸载 {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\dangqun.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\dangqun.exe"; Description: "启动 {#AppName}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder: the records stay after an uninstall.
