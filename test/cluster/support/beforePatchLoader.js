/**
 * webpack loader for the rolling-upgrade test: a workflow source as it was
 * before a change shipped as `if (patched(<guard>)) …;` on one line, that
 * is, with that line left out. Throws when the line is not there, so the
 * test can never quietly become an empty version bump.
 */
module.exports = function beforePatchLoader(source) {
  const { guard } = this.getOptions();
  const guarded = `if (patched(${guard}))`;
  const lines = source.split('\n');
  const kept = lines.filter((line) => !line.trimStart().startsWith(guarded));
  if (kept.length === lines.length) throw new Error(`${this.resourcePath} has no line starting with "${guarded}"`);
  return kept.join('\n');
};
