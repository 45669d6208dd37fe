/**
 * A strict, tiny well-formedness check for the XML our reporters write (no dependency):
 * one prolog, elements properly nested, attributes quoted and unique, text and attribute
 * values with only the five predefined entities or character references, no control
 * characters. Returns the elements as a tree for structural assertions.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})="([^"<]*)"`, 'y');
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error(`control character in ${where}`);
  if (/&/.test(text.replace(ENTITY, ''))) throw new Error(`bare & in ${where}: ${text.slice(0, 80)}`);
  if (/</.test(text)) throw new Error(`bare < in ${where}`);
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function parseXml(xml: string): XmlElement {
  let pos: number;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!prolog) throw new Error('missing or bad XML declaration');
  pos = prolog[0].length;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (pos < xml.length) {
    const next = xml.indexOf('<', pos);
    const text = next === -1 ? xml.slice(pos) : xml.slice(pos, next);
    const top = stack[stack.length - 1]!;
    if (text.length > 0) {
      if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element');
      top.text += checkText(text, `<${top.name}>`);
    }
    if (next === -1) break;
    pos = next;
    const close = new RegExp(`</(${NAME})>`, 'y');
    close.lastIndex = pos;
    const closing = close.exec(xml);
    if (closing) {
      if (top.name !== closing[1]) throw new Error(`</${closing[1]}> closes <${top.name}>`);
      stack.pop();
      pos = close.lastIndex;
      continue;
    }
    const open = new RegExp(`<(${NAME})`, 'y');
    open.lastIndex = pos;
    const opening = open.exec(xml);
    if (!opening) throw new Error(`bad markup at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = open.lastIndex;
    const element: XmlElement = { name: opening[1]!, attributes: {}, children: [], text: '' };
    for (;;) {
      ATTRIBUTE.lastIndex = pos;
      const attribute = ATTRIBUTE.exec(xml);
      if (!attribute) break;
      if (attribute[1]! in element.attributes) throw new Error(`duplicate attribute ${attribute[1]} on <${element.name}>`);
      element.attributes[attribute[1]!] = checkText(attribute[2]!, `attribute ${attribute[1]}`);
      pos = ATTRIBUTE.lastIndex;
    }
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(element);
    if (xml.startsWith('/>', pos)) {
      pos += 2;
    } else if (xml.startsWith('>', pos)) {
      pos += 1;
      stack.push(element);
    } else {
      throw new Error(`bad tag <${element.name}> at ${pos}: ${xml.slice(pos, pos + 40)}`);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((child) => child.name === name);
