/** Chinese text for triage and duplicate search: jieba words, minus punctuation and stop words. */
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

let jieba: Jieba | null = null;
function cutter(): Jieba {
  // Loading the dictionary takes ~0.3 s and ~60 MB; only pay it when a text is first cut. (The
  // dictionary module reads its files when required, so it is required here, not imported.)
  jieba ??= Jieba.withDict((createRequire(import.meta.url)('@node-rs/jieba/dict.js') as { dict: Buffer }).dict);
  return jieba;
}

const STOP = new Set(('的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 他 她 它 们 我们 你们 他们 ' +
  '吗 吧 呢 啊 呀 嘛 把 被 让 给 对 从 还 又 与 及 或 等 这个 那个 这里 那里 什么 怎么 请 希望 能 能否 帮忙 一下 现在 已经 反映 问题 情况 ' +
  '村里 我们村 家 附近 旁边 今天 昨天 最近 一直 好几天 几天 时间 没人 没 有人 麻烦 尽快 处理 解决').split(/\s+/));

export function tokenize(text: string): string[] {
  return cutter()
    .cut(text, true)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && !STOP.has(w) && !/^[\p{P}\p{S}\s\d]+$/u.test(w));
}

function bigrams(s: string): Set<string> {
  const t = s.replace(/[\p{P}\p{S}\s]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i < t.length - 1; i++) out.add(t.slice(i, i + 2));
  return out;
}

/**
 * Dice coefficient over character bigrams: robust for short Chinese texts whatever the wording.
 * similarityTo(a) cuts `a` once and compares it with many candidates (the duplicate check).
 */
export function similarityTo(a: string): (b: string) => number {
  const A = bigrams(a);
  return (b: string) => {
    const B = bigrams(b);
    if (A.size === 0 || B.size === 0) return 0;
    let both = 0;
    for (const g of A) if (B.has(g)) both++;
    return (2 * both) / (A.size + B.size);
  };
}

export function textSimilarity(a: string, b: string): number {
  return similarityTo(a)(b);
}
