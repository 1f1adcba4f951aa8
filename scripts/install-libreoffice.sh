#!/usr/bin/env bash
# Installs the renderer of the archival PDF copies and the fonts it needs, from
# Debian's packages: LibreOffice Writer without a GUI (soffice --headless), the
# Calc (the ledger's .xlsx export is opened by it in the tests), the Noto CJK fonts (宋体/黑体 substitutes; see services/documents/fonts.ts for the
# named fallbacks) and poppler-utils (pdftotext, pdftoppm: the rendering tests
# read the PDFs back). A no-op when everything is there. Needs root for apt-get.
set -euo pipefail

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list :lang=zh family 2>/dev/null | grep -q 'Noto Serif CJK SC' || missing+=(fonts-noto-cjk)
source "$(dirname "$0")/apt-install.sh"
install_missing install-libreoffice "${missing[@]}"
