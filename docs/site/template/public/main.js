// Diagnostic help links (generators/ConvGen.Generators/Diagnostics/DiagnosticDescriptors.cs) point at the
// diagnostics table with the page's source name as the fragment, diagnostics/README.html#CG0001.md: open that
// ID's page. Without scripts the reader still lands on the table, which links every page.
const diagnosticFragment = /^#(CG\d{4})\.md$/;

export default {
  start: () => {
    const match = diagnosticFragment.exec(window.location.hash);
    if (match && /\/diagnostics\/(README\.html)?$/.test(window.location.pathname)) {
      window.location.replace(match[1] + ".html");
    }
  },
};
