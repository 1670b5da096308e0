import { createRoot } from 'react-dom/client';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { detectExcelHost } from '../excel/host';
import { App } from './app';

// Office.js says when it is ready and in which host; opened in a plain web browser the pane says where it belongs.
void detectExcelHost().then((inExcel) =>
  createRoot(document.getElementById('root')!).render(
    <FluentProvider theme={webLightTheme}>
      <App inExcel={inExcel} />
    </FluentProvider>,
  ),
);
