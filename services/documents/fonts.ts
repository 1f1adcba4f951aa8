/**
 * The typefaces GB/T 9704-2012 names, and the fonts that stand in for them
 * where they are not installed. A .docx names the standard's font, so Word on
 * an official's desktop uses the real 仿宋_GB2312; the archival PDF is
 * rendered with fontconfig told these fallbacks in this order (the free Noto
 * CJK fonts from Debian's fonts-noto-cjk are the last resort of each, so a
 * rendering never falls to a Japanese or Korean glyph set).
 */
export const FONTS = {
  /** 正文、主送、署名、版记 (5.2.2.2, 7.3.3, 7.4). */
  fangsong: { name: '仿宋_GB2312', fallbacks: ['仿宋', 'FangSong', 'STFangsong', 'Noto Serif CJK SC'] },
  /** 发文机关标志、标题 (7.2.4, 7.3.1). */
  xiaobiaosong: { name: '方正小标宋简体', fallbacks: ['方正小标宋_GBK', '华文中宋', 'STZhongsong', 'Noto Serif CJK SC'] },
  /** 正文第一层标题 (7.3.3). */
  heiti: { name: '黑体', fallbacks: ['SimHei', 'Noto Sans CJK SC'] },
  /** 正文第二层标题 (7.3.3). */
  kaiti: { name: '楷体_GB2312', fallbacks: ['楷体', 'KaiTi', 'AR PL UKai CN', 'Noto Serif CJK SC'] },
  /** 页码 (7.5): 4号半角宋体阿拉伯数字. */
  songti: { name: '宋体', fallbacks: ['SimSun', 'Noto Serif CJK SC'] },
} as const;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A fontconfig file that includes the system's configuration and adds the fallbacks above. */
export function fontconfigFile(): string {
  const aliases = Object.values(FONTS).map(
    (f) => `  <alias binding="same"><family>${escapeXml(f.name)}</family><prefer>${f.fallbacks.map((n) => `<family>${escapeXml(n)}</family>`).join('')}</prefer></alias>`,
  );
  return ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', '<fontconfig>', '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>', ...aliases, '</fontconfig>', ''].join('\n');
}
