#!/usr/bin/env bash
# Installs the Debian packages Jingkai uses, when it can; says clearly what is missing when it cannot.
#   fonts-noto-cjk  Chinese text in charts (matplotlib) and in generated documents
#   fonts-arphic-gkai00mp  a GB2312 楷体 (AR PL KaitiM GB) for 楷体_GB2312 in the PDF checks (jingkai/fonts/fonts.conf)
#   chromium        the browser the UI tests drive through Playwright
#   libreoffice-writer, libreoffice-calc, poppler-utils
#                   the tests render every Word and Excel output to PDF and read it (jingkai/pdfcheck.py)
set -u
need=()
fc-list 2>/dev/null | grep -qi "noto sans cjk\|noto serif cjk" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "AR PL KaitiM GB" || need+=(fonts-arphic-gkai00mp)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer libreoffice-calc)
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统软件包：${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null) \
    || echo "警告：无法安装 ${need[*]}，请管理员执行：apt-get install ${need[*]}" >&2
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null \
    || echo "警告：无法安装 ${need[*]}" >&2
else
  echo "缺少系统软件包：${need[*]}。请以管理员身份执行：apt-get install ${need[*]}" >&2
  echo "（缺少 chromium 时浏览器测试会失败；缺少中文字体时图表无法生成；缺少 LibreOffice 或 poppler-utils 时文档版面测试会失败。）" >&2
fi
exit 0
