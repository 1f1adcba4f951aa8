# Sourced by the install scripts: installs the Debian packages they found missing.
# install_missing TAG PACKAGE…: nothing to do without packages; as root, apt-get
# installs them; otherwise it says what to install and fails.
install_missing() {
  local tag=$1
  shift
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "[$tag] not root: install $* yourself (apt-get install --no-install-recommends $*)" >&2
    return 1
  fi
  echo "[$tag] installing $* from Debian's packages…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
