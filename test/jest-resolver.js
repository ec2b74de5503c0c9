/**
 * Jest runs CommonJS and resolves packages with the "require" condition.
 * kubernetes-models and its CRD packages are ES modules exported only under
 * "import", so when a package cannot be resolved for "require", resolve it for
 * "import"; the jest transform (configured in .projenrc.ts) turns those ES
 * module files into CommonJS.
 */
const IMPORT_CONDITIONS = ['import', 'node', 'default'];

module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    return options.defaultResolver(request, { ...options, conditions: IMPORT_CONDITIONS });
  }
};
