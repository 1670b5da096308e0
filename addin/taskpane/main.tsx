import { createRoot } from 'react-dom/client';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { App } from './app';

function render(): void {
  createRoot(document.getElementById('root')!).render(
    <FluentProvider theme={webLightTheme}>
      <App />
    </FluentProvider>,
  );
}

// Inside Excel, wait for Office.js; in a plain browser (tests, preview) render at once.
if (typeof Office !== 'undefined' && typeof Office.onReady === 'function') {
  Office.onReady(() => render());
} else {
  render();
}
