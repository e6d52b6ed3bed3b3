// Starts GOV.UK Frontend's components (service navigation toggle, character count, error summary,
// notification banner, …). Loaded as a module file: the CSP allows no inline script, so the class
// GOV.UK's template sets with an inline snippet is set here, where module support is certain.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
