// A stand-in for Excel in a plain browser: the Office.js calls the task pane
// makes (tables by name, header and body ranges, values, fills, sync; table
// columns by index or name with their data body number format and hidden flag;
// worksheets with tables and list validation), over an in-memory workbook the
// test reads back from window.__workbook. Like Excel, rows.add takes rows exactly
// as wide as the table, a number format is one [[format]] for the whole range or
// one per cell, and clearing the data body clears its formats too.
(() => {
  const workbook = (window.__workbook = window.__workbook || { tables: {} });
  const syncs = (window.__syncs = { count: 0 });
  function table(name) {
    const t = workbook.tables[name];
    if (!t) throw new Error(`ItemNotFound: no table ${name}`);
    Object.defineProperty(t, 'name', { value: name, enumerable: false, configurable: true });
    return t;
  }
  function bodyRange(t) {
    return {
      values: null,
      load() {
        this.values = t.rows.map((r) => [...r]);
        return this;
      },
      clear() {
        t.rows = t.rows.map((r) => r.map(() => ''));
        delete t.columnFormats;
      },
      delete() {
        t.rows = [];
      },
      // A data row, to select (the task pane's links to rows with errors).
      getRow(row) {
        return {
          select() {
            workbook.selection = { table: t.name, sheet: t.sheet, row };
          },
        };
      },
      getCell(row, col = 0) {
        return {
          getResizedRange(rows, cols) {
            return {
              // Like Excel: exactly rows + 1 by cols + 1 values, written from (row, col); other cells keep theirs.
              set values(values) {
                if (values.length !== rows + 1 || values.some((v) => v.length !== cols + 1)) {
                  throw new Error(`InvalidArgument: ${values.length}x${values[0]?.length} values for a ${rows + 1}x${cols + 1} range`);
                }
                values.forEach((v, i) => {
                  const target = (t.rows[row + i] ||= t.header.map(() => ''));
                  v.forEach((cell, j) => (target[col + j] = cell));
                });
              },
              format: {
                fill: {
                  set color(color) {
                    (t.fills ||= {})[row] = color;
                  },
                  clear() {
                    (t.fills ||= {})[row] = null;
                  },
                },
              },
            };
          },
        };
      },
    };
  }
  // Worksheets, for New sheet and the invoice sheet: every range written is recorded under its address.
  workbook.sheets ||= {};
  const columnCount = (address) => {
    const [from, to = from] = address.split(':').map((a) => a.replace(/[0-9$]/g, ''));
    const index = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
    return index(to) - index(from) + 1;
  };
  function worksheet(name) {
    const sheet = workbook.sheets[name];
    const range = (address) => {
      const record = (sheet.ranges[address] ||= {});
      return {
        address: `${name}!${address}`,
        set values(values) {
          record.values = values.map((r) => [...r]);
        },
        set numberFormat(format) {
          const [from, to = from] = address.split(':');
          const rows = /\d/.test(from) ? Number(to.replace(/\D/g, '')) - Number(from.replace(/\D/g, '')) + 1 : 1048576;
          checkFormat(format, rows, columnCount(address));
          record.numberFormat = format;
        },
        set columnHidden(hidden) {
          record.columnHidden = hidden;
        },
        dataValidation: {
          clear() {
            delete record.validation;
          },
          set rule(rule) {
            record.validation = rule;
          },
        },
        format: {
          font: {
            set bold(v) {
              record.bold = v;
            },
            set size(v) {
              record.size = v;
            },
            set italic(v) {
              record.italic = v;
            },
            set color(v) {
              record.color = v;
            },
            set name(v) {
              record.font = v;
            },
          },
          fill: {
            set color(v) {
              record.fill = v;
            },
          },
          set horizontalAlignment(v) {
            record.align = v;
          },
          set verticalAlignment(v) {
            record.verticalAlign = v;
          },
          set wrapText(v) {
            record.wrap = v;
          },
          set columnWidth(v) {
            record.columnWidth = v;
          },
          set rowHeight(v) {
            record.rowHeight = v;
          },
          borders: {
            getItem(edge) {
              const border = ((record.borders ||= {})[edge] ||= {});
              return {
                set style(v) {
                  border.style = v;
                },
                set weight(v) {
                  border.weight = v;
                },
                set color(v) {
                  border.color = v;
                },
              };
            },
          },
          autofitColumns() {
            record.autofit = true;
          },
        },
        merge() {
          record.merged = true;
        },
      };
    };
    // Page setup, as the printable invoice sets it (ExcelApi 1.9).
    const page = (sheet.pageLayout ||= { footers: {} });
    const pageLayout = {
      set orientation(v) {
        page.orientation = v;
      },
      set paperSize(v) {
        page.paperSize = v;
      },
      set zoom(v) {
        page.zoom = v;
      },
      set centerHorizontally(v) {
        page.centerHorizontally = v;
      },
      set leftMargin(v) {
        page.leftMargin = v;
      },
      set rightMargin(v) {
        page.rightMargin = v;
      },
      set topMargin(v) {
        page.topMargin = v;
      },
      set bottomMargin(v) {
        page.bottomMargin = v;
      },
      set headerMargin(v) {
        page.headerMargin = v;
      },
      set footerMargin(v) {
        page.footerMargin = v;
      },
      setPrintArea(v) {
        page.printArea = v;
      },
      setPrintTitleRows(v) {
        page.printTitleRows = v;
      },
      headersFooters: {
        defaultForAllPages: {
          set leftFooter(v) {
            page.footers.left = v;
          },
          set centerFooter(v) {
            page.footers.center = v;
          },
          set rightFooter(v) {
            page.footers.right = v;
          },
        },
      },
    };
    return {
      isNullObject: false,
      getRange: range,
      pageLayout,
      horizontalPageBreaks: {
        add(v) {
          (page.rowBreaks ||= []).push(v);
        },
      },
      set showGridlines(v) {
        sheet.showGridlines = v;
      },
      // Excel makes a table from a one-row address with headers as Column1..n over one empty data row, named Table<n>.
      tables: {
        add(address, hasHeaders) {
          if (!hasHeaders) throw new Error('the fake host only makes tables with headers');
          const width = columnCount(address);
          let key = `Table${Object.keys(workbook.tables).length + 1}`;
          workbook.tables[key] = { header: Array.from({ length: width }, (_, i) => `Column${i + 1}`), rows: [Array(width).fill('')], sheet: name, address };
          const created = tableObject(() => key);
          Object.defineProperty(created, 'name', {
            get: () => key,
            set(newName) {
              if (newName !== key && workbook.tables[newName]) throw new Error(`InvalidArgument: a table named ${newName} already exists`);
              workbook.tables[newName] = workbook.tables[key];
              if (newName !== key) delete workbook.tables[key];
              key = newName;
            },
          });
          return created;
        },
      },
      set visibility(visibility) {
        sheet.visibility = visibility;
      },
      activate() {
        workbook.activeSheet = name;
      },
      delete() {
        delete workbook.sheets[name];
        for (const [key, t] of Object.entries(workbook.tables)) if (t.sheet === name) delete workbook.tables[key];
      },
    };
  }
  const worksheets = {
    getItemOrNullObject(name) {
      return workbook.sheets[name] ? worksheet(name) : { isNullObject: true };
    },
    add(name) {
      if (workbook.sheets[name]) throw new Error(`ItemAlreadyExists: ${name}`);
      workbook.sheets[name] = { ranges: {} };
      return worksheet(name);
    },
  };
  // numberFormat takes one [[format]] for every cell of the range, or exactly one per cell.
  function checkFormat(format, rows, columns) {
    const one = format.length === 1 && format[0].length === 1;
    if (!one && (format.length !== rows || format.some((r) => r.length !== columns)))
      throw new Error(`InvalidArgument: ${format.length} format row(s) for a range of ${rows} x ${columns}`);
    return format[0][0];
  }
  // A table column, by position (getItemAt) or header name (getItem): its data body's number format and its sheet column's hidden flag.
  function tableColumn(t, find) {
    const index = () => {
      const i = find(t());
      if (i < 0 || i >= t().header.length) throw new Error('ItemNotFound: no such table column');
      return i;
    };
    return {
      getDataBodyRange: () => ({
        set numberFormat(format) {
          const name = t().header[index()];
          (t().columnFormats ||= {})[name] = checkFormat(format, t().rows.length, 1);
        },
      }),
      getRange: () => ({
        set columnHidden(hidden) {
          const name = t().header[index()];
          t().hiddenColumns = [...(t().hiddenColumns || []).filter((c) => c !== name), ...(hidden ? [name] : [])];
        },
      }),
    };
  }
  function tableObject(key) {
    const t = () => table(key());
    return {
      columns: {
        getItemAt: (i) => tableColumn(t, () => i),
        getItem: (name) => tableColumn(t, (x) => x.header.indexOf(name)),
        // A column added at the table's right (a bookkeeping column an older table lacks), blank in every row.
        add(_index, _values, name) {
          t().header.push(name);
          for (const row of t().rows) row.push('');
          return tableColumn(t, (x) => x.header.indexOf(name));
        },
      },
      getHeaderRowRange: () => ({
        get values() {
          return [t().header];
        },
        get rowIndex() {
          return t().address ? Number(t().address.split(':')[0].replace(/\D/g, '')) - 1 : 0;
        },
        set values(values) {
          t().header = [...values[0]];
        },
        load() {
          return this;
        },
      }),
      // Sheet rows: the header on row 0 (tables start at A1 here), the data body from row 1.
      getDataBodyRange: () =>
        Object.assign(bodyRange(t()), {
          rowIndex: 1,
          get rowCount() {
            return t().rows.length;
          },
        }),
      get worksheet() {
        return {
          name: t().sheet ?? 'Sheet1',
          load() {
            return this;
          },
          activate() {
            workbook.activeSheet = t().sheet;
          },
        };
      },
      rows: {
        count: t().rows.length,
        load() {
          this.count = t().rows.length;
          return this;
        },
        // A data row by position, to delete (Excel shifts the rows below up).
        getItemAt(index) {
          return {
            delete() {
              if (index < 0 || index >= t().rows.length) throw new Error('ItemNotFound: no such table row');
              t().rows.splice(index, 1);
            },
          };
        },
        add(_index, values) {
          const width = t().header.length;
          if (values.some((v) => v.length !== width))
            throw new Error(`InvalidArgument: rows of ${values[0].length} value(s) for a table of ${width} column(s)`);
          t().rows.push(...values.map((v) => [...v]));
        },
      },
    };
  }
  // Workbook names (named ranges): what each refers to, by the address of the range given.
  workbook.names ||= {};
  const names = {
    items: [],
    load() {
      this.items = Object.keys(workbook.names).map((n) => ({ name: n, delete: () => delete workbook.names[n] }));
      return this;
    },
    add(n, range) {
      if (workbook.names[n]) throw new Error(`ItemAlreadyExists: ${n}`);
      workbook.names[n] = range.address;
    },
  };
  // The user's selection: window.__selection = { sheet, rowIndex, rowCount } (sheet rows, 0-based).
  const context = {
    workbook: {
      getSelectedRange() {
        const selection = window.__selection || { sheet: 'Sheet1', rowIndex: 0, rowCount: 1 };
        return {
          rowIndex: selection.rowIndex,
          rowCount: selection.rowCount,
          worksheet: {
            name: selection.sheet || 'Sheet1',
            load() {
              return this;
            },
          },
          load() {
            return this;
          },
        };
      },
      worksheets,
      names,
      tables: {
        getItem(name) {
          table(name);
          return tableObject(() => name);
        },
      },
    },
    async sync() {
      syncs.count++;
    },
  };
  window.Excel = { run: async (work) => work(context), SheetVisibility: { hidden: 'Hidden' } };
  window.Office = { onReady: (callback) => callback({ host: 'Excel' }) };
})();
