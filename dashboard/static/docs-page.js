// The docs page's header, language switch, sample notice and footer.
import { initPage, fail } from "./common.js";

initPage().then(() => (document.body.dataset.ready = "true")).catch(fail);
