// TypeDoc plugin. valibot infers an object schema's type as an intersection, and TypeScript then gives each of its
// fields the same declaration once per part; TypeDoc warns that such a field "has multiple declarations with a
// comment" although they are one and the same (TypeDoc does not dedupe them). This drops that warning, and the
// note of locations that follows it, when every location it names is the same; any other warning passes through.

/** @param {import('typedoc').Application} app */
export function load(app) {
  const { logger } = app;
  const warn = logger.warn.bind(logger);
  const info = logger.info.bind(logger);
  /** A "multiple declarations" warning waiting for the note that says where the declarations are. */
  let held;
  const release = () => {
    if (held) warn(...held);
    held = undefined;
  };
  logger.warn = (text, ...rest) => {
    release();
    if (/ has multiple declarations with a comment\./.test(text)) held = [text, ...rest];
    else warn(text, ...rest);
  };
  logger.info = (text, ...rest) => {
    if (held) {
      const locations = text
        .split('\n')
        .slice(1)
        .map((line) => line.trim());
      if (locations.length > 1 && locations.every((l) => l === locations[0])) {
        held = undefined;
        return;
      }
      release();
    }
    info(text, ...rest);
  };
}
