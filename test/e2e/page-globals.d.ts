/**
 * Code passed to `page.evaluate()` runs in the browser, but the test program is typed against Node only (the core
 * it imports would not type-check under the DOM lib's stricter buffer types). These loose declarations let
 * page-side callbacks name the browser globals they use; what they return is checked by the assertions.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const location: any;
declare const navigator: any;
