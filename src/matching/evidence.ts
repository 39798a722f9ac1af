import { tokenize } from './text.ts';
import { stems } from './vocab.ts';

/**
 * Words that are no evidence of a call's topic, kept out of the text relevance (the BM25 table
 * of the profiles): function words of German and English beyond the tokenizer's short list,
 * and the boilerplate of funding calls, i.e. words found in a large share of all calls
 * whatever their topic (document frequency ≥ 15 % in a corpus of real calls of all sources,
 * minus words that name a field's topic such as "innovation", "climate" or "Europe"). They
 * still count in rule conditions; they only stop counting as text evidence.
 */
const functionWords = `
aber allein alle allem allen aller alles allerdings als also am an andere anderen anderer anderes auch auf aus ausser
bei beide beiden beim bereits besonders bis bisher bzw bspw dabei dadurch dafur dagegen daher damit dann daran darauf
daraus darin darum darunter das dass davon dazu dem demnach den denen denn der deren des deshalb dessen die dies diese
diesem diesen dieser dieses doch dort durch eben ebenfalls ebenso ein eine einem einen einer eines einige einigen
einzelne einzelnen etwa etwas euch fur ganz gegen gemass gibt hat haben hatte hier hierbei hierfur hin hinaus ihm ihn
ihnen ihr ihre ihrem ihren ihrer ihres im immer in indem innerhalb insbesondere ist je jede jedem jeden jeder jedes
jedoch jene jetzt kann kein keine konnen konnte lassen man mehr mehrere mit moglich moglichst muss mussen nach neben
nicht noch nun nur ob oder ohne sehr sei seien sein seine seinem seinen seiner seit sich sie sind so sofern sollen
soll sollte sowie sowohl statt uber um und uns unser unsere unter usw viel viele vom von vor wahrend war waren was
weil weitere weiteren weiterer welche welchem welchen welcher wenn wer werden wie wieder will wir wird wo wurde wurden
zb zu zudem zum zur zwar zwischen
a about above according across after again against all almost along already also although always among an and another
any are around as at based be because been before being below between both but by can cannot could did do does done
due during each either else etc even ever every for from further had has have having here how however i ie if in
including into is it its itself just least less like made make many may might more most much must need needs no nor
not now of off often on once one only onto or other others otherwise our out over own per rather same shall should
since so some such than that the their them themselves then there therefore these they this those though through
thus to too under unless until up upon us use used using very via was we well were what whether when where which while
who whom whose why will with within without would yet you your
`;

const boilerplate = `
jahr jahre jahren jahrlich beitragen beitragt beitrag neue neuen neuer neues erste ersten zweite dritte rahmen bereich
bereiche ziel ziele zielen massnahme massnahmen vorhaben projekt projekte projekten forderung forderungen gefordert
fordert foerderung antrag antrage antragsteller antragstellung programm programme programms aufruf unterstutzung
unterstutzen unterstutzt bmz bmbf bmwk bmu bmas hinweis informationen weitere eigen eigene eigenen eigener
entwickeln starken verbessern ausbauen erhohen ermoglichen gemeinsam gemeinsame gemeinsamen moglichkeit moglichkeiten
year years annual contribute contributes contribution new first second third framework area areas aim aims objective
objectives measure measures project projects funding funded fund funds grant grants call calls applicant applicants
application applications proposal proposals programme programmes program support supported supports eligible
information topic topics action actions activities activity type types work include includes included expected
develop strengthen improve enhance enable promote foster increase opportunity opportunities possible key main
`;

const stemSet = (list: string): Set<string> => {
  const out = new Set<string>();
  for (const token of tokenize(list)) for (const st of stems(token)) out.add(st);
  return out;
};

const noEvidence = stemSet(`${functionWords} ${boilerplate}`);
/** Years and other numbers are no topic either. */
const number = /^[0-9]+$/;

/** Is this stem evidence of a topic (may it count as text relevance)? */
export function isEvidenceStem(stem: string): boolean {
  return stem.length > 1 && !number.test(stem) && !noEvidence.has(stem);
}
