import type { VNode } from 'preact';

/** A document's pages as images, for reading on the page itself; `alt` names each page. */
export function PageImages(p: { base: string; count: number; alt: (page: number) => string }): VNode {
  return (
    <>
      {Array.from({ length: p.count }, (_, i) => (
        <img src={`${p.base}/pages/${i + 1}.png`} alt={p.alt(i + 1)} loading="lazy" />
      ))}
    </>
  );
}
