// Bundled by the Makefile (esbuild) into .cache/annotator.js for the browser tests: Apache
// Annotator's own text-quote matcher, as another W3C client would anchor our export.
import { createTextQuoteSelectorMatcher } from "@apache-annotator/dom";

window.ApacheAnnotator = { createTextQuoteSelectorMatcher };
