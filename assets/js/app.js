// Starts GOV.UK Frontend's components (service navigation toggle, character count, error summary,
// notification banner, …). Loaded as a module file: the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();
