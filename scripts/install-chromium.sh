#!/usr/bin/env bash
# Installs the browser of the console's tests from Debian's packages: Chromium
# (/usr/bin/chromium), driven by playwright-core, which never downloads a
# browser of its own, its Chinese interface (chromium-l10n: the browser's own
# parts of a page, a date input's 年/月/日 and a file input's 选择文件, are in the
# browser's language, not the page's), and the Noto CJK fonts so the Chinese
# pages render in the screenshots. A no-op when both are there. Needs root for apt-get.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/lib/chromium/locales/zh-CN.pak ] || missing+=(chromium-l10n)
fc-list :lang=zh family 2>/dev/null | grep -q 'Noto Sans CJK SC' || missing+=(fonts-noto-cjk)
source "$(dirname "$0")/apt-install.sh"
install_missing install-chromium "${missing[@]}"
